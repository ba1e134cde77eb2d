import { createRouter, createWebHashHistory } from 'vue-router'
// The first screen comes with the app's code; every other view loads when first opened.
import IncidentsView from './views/IncidentsView.vue'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/incidents' },
    { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue') },
    { path: '/incidents', name: 'incidents', component: IncidentsView },
    {
      path: '/incidents/:id',
      name: 'incident',
      component: () => import('./views/IncidentDetailView.vue'),
      props: true,
    },
    { path: '/quality', name: 'quality', component: () => import('./views/QualityView.vue') },
    { path: '/people', name: 'people', component: () => import('./views/PeopleView.vue') },
    { path: '/rota', name: 'rota', component: () => import('./views/RotaView.vue') },
    { path: '/inspection', name: 'inspection', component: () => import('./views/InspectionView.vue') },
    { path: '/preparedness', name: 'preparedness', component: () => import('./views/PreparednessView.vue') },
    { path: '/training', name: 'training', component: () => import('./views/TrainingView.vue') },
    { path: '/verify', name: 'verify', component: () => import('./views/VerifyView.vue') },
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue') },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
  ],
})
